// Promotions as the protocol serves them (skeleton: the engine lands next).
import { ErrorCode, type Params, type PromotionRecord } from '../../protocol/protocol';
import { RpcError } from '../../protocol/jsonrpc';

export class PromotionService {
  private notYet(): never {
    throw new RpcError(ErrorCode.InternalError, 'promotions are not built yet');
  }
  plan(_p: Params<'promotion.plan'>, _who: string): Promise<PromotionRecord> {
    return this.notYet();
  }
  recheck(_p: Params<'promotion.recheck'>): Promise<PromotionRecord> {
    return this.notYet();
  }
  start(_p: Params<'promotion.start'>, _who: string): Promise<PromotionRecord> {
    return this.notYet();
  }
  signOff(_p: Params<'promotion.signOff'>, _who: string): Promise<PromotionRecord> {
    return this.notYet();
  }
  cancel(_p: Params<'promotion.cancel'>, _who: string): Promise<PromotionRecord> {
    return this.notYet();
  }
  rollback(_p: Params<'promotion.rollback'>, _who: string): Promise<PromotionRecord> {
    return this.notYet();
  }
  get(_id: string): PromotionRecord {
    return this.notYet();
  }
  list(_folder: string | undefined, _limit: number): PromotionRecord[] {
    return this.notYet();
  }
}
